import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter, RouterInputs, RouterOutputs } from '@ums/shared';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// Every shape the console shows comes from the router, so a server change shows up here as a type error.
export type User = RouterOutputs['users']['byId'];
export type Me = RouterOutputs['me']['get'];
export type Role = RouterOutputs['rbac']['roles']['list']['items'][number];
export type PermissionInfo = RouterOutputs['rbac']['permissions']['list']['items'][number];
export type AuditEvent = RouterOutputs['audit']['list']['items'][number];
export type StatsOverview = RouterOutputs['stats']['overview'];
export type Setting = RouterOutputs['me']['settings']['get']['settings'][number];
export type SettingChange = RouterInputs['me']['settings']['update']['settings'][number];
export type Preferences = RouterOutputs['me']['preferences']['get'];
export type UserListInput = RouterInputs['users']['list'];
export type UserUpdate = RouterInputs['users']['update'];
export type BulkItemResult = RouterOutputs['users']['bulk']['results'][number];
export type WebhookEndpoint = RouterOutputs['webhooks']['list']['items'][number];
export type WebhookAttempt = RouterOutputs['webhooks']['deliveries']['items'][number];
export type WebhookEventName = RouterInputs['webhooks']['create']['events'][number];
