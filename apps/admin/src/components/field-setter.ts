import type { Dispatch, SetStateAction } from 'react';

/** `set(field)` is the `onChange` of the control for one field of a draft object: it replaces that field only. */
export const fieldSetter =
  <T extends object>(setDraft: Dispatch<SetStateAction<T>>) =>
  <K extends keyof T>(field: K) =>
  (value: T[K]) =>
    setDraft((current) => ({ ...current, [field]: value }));
