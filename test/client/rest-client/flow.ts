// What a REST client author writes with the generated client: typed calls, no cast. Type-checked on its own, as a
// browser-side client would be (lib DOM, strict: rest-client/tsconfig.json); run by ../rest-client.test.ts.
import { Api, type ApiError, type Me, type Preferences, type SettingsList, type User } from './generated/rest-client.ts';

export interface FlowOutcome {
  registeredStatus: number;
  registered: User;
  loginTokenType: 'Bearer';
  me: Me;
  settingsWritten: SettingsList;
  settingsRead: SettingsList;
  preferences: Preferences;
  sessionCount: number;
  refusedStatus: number;
  refused: ApiError;
}

export async function runFlow(baseUrl: string, email: string, password: string): Promise<FlowOutcome> {
  const api = new Api<string>({
    baseUrl,
    // Operations the document marks as needing the bearer token get it from here.
    securityWorker: (token) => (token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });

  const registered = await api.auth.authRegister({ email, password, fullName: 'Gen Client' });
  const login = (await api.auth.authLogin({ email, password })).data;
  // The answer is a union: a session, or the first step of a sign-in with MFA (this account has no second factor).
  if (!('accessToken' in login)) throw new Error('expected a session, got an MFA challenge');
  api.setSecurityData(login.accessToken);

  const me = await api.users.meGet();
  const before = await api.users.meSettingsGet({ category: 'interface' });
  const settingsWritten = await api.users.meSettingsUpdate({
    settings: [{ key: 'ui.page_size', value: 50 }],
    expectedVersion: before.data.version,
  });
  const settingsRead = await api.users.meSettingsGet({ category: 'interface' });
  const preferences = await api.users.mePreferencesUpdate({ theme: 'dark', notifications: { sms: true } });
  const sessions = await api.users.meSessionsList();

  // The generated client throws the response of an error status; its `error` is the document's ApiError.
  api.setSecurityData('not-a-token');
  const refused = await api.users.meGet().then(
    () => {
      throw new Error('an invalid token was accepted');
    },
    (response: { status: number; error: ApiError }) => response,
  );

  return {
    registeredStatus: registered.status,
    registered: registered.data.user,
    loginTokenType: login.tokenType,
    me: me.data,
    settingsWritten: settingsWritten.data,
    settingsRead: settingsRead.data,
    preferences: preferences.data,
    sessionCount: sessions.data.items.length,
    refusedStatus: refused.status,
    refused: refused.error,
  };
}
