import { AppError } from '../../app-error.ts';

export const sessionNotFound = () => new AppError('NOT_FOUND', 'No such session');
