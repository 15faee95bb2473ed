/** Whether a user may sign in: active, or deactivated. */
export const UserStatusBadge = ({ isActive }: { isActive: boolean }) => (
  <span className={isActive ? 'badge badge--ok' : 'badge badge--off'}>{isActive ? 'Active' : 'Deactivated'}</span>
);
