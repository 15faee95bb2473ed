import type { Permission } from '@ums/shared';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { Me } from './trpc.ts';

interface Caller {
  me: Me;
  can(permission: Permission): boolean;
}

const CallerContext = createContext<Caller | null>(null);

/** The signed-in user and what they may do, as the server reported it in `me.get`. */
export function useCaller(): Caller {
  const caller = useContext(CallerContext);
  if (!caller) throw new Error('useCaller outside CallerProvider');
  return caller;
}

export function CallerProvider({ me, children }: { me: Me; children: ReactNode }) {
  const caller = useMemo(() => {
    const granted = new Set<string>(me.permissions);
    return { me, can: (permission: Permission) => granted.has(permission) };
  }, [me]);
  return <CallerContext.Provider value={caller}>{children}</CallerContext.Provider>;
}
