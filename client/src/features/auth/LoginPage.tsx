import { type DemoAccount, loginRequestSchema } from '@chairside/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/api-error';
import { useServices } from '../../app-services';
import { SafetyNote } from '../../components/SafetyNote';
import { useAppStore } from '../../store/store-context';

function DemoAccounts({ accounts, onPick }: { accounts: DemoAccount[]; onPick: (account: DemoAccount) => void }) {
  return (
    <section className="demo-accounts" aria-labelledby="demo-heading">
      <h2 id="demo-heading" className="demo-accounts__title">
        Demo mode — log in as {accounts.map((a) => `${a.username} / ${a.password}`).join(', ')} (tap one to fill in the form)
      </h2>
      <ul className="demo-accounts__list">
        {accounts.map((account) => (
          <li key={account.username}>
            {/* Named by its text (what a voice-control user reads out); the heading says a tap fills in the form. */}
            <button type="button" className="button button--quiet demo-accounts__pick" onClick={() => onPick(account)}>
              <span className="demo-accounts__login">
                {account.username} / {account.password}
              </span>{' '}
              <span className="demo-accounts__role">{account.role}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A first start without ADMIN_PASSWORD: nobody can log in yet, and the page says how to begin. */
function FirstStart() {
  return (
    <section className="notice notice--info" aria-labelledby="first-start-heading">
      <h2 id="first-start-heading" className="demo-accounts__title">
        No accounts yet
      </h2>
      <p>
        This Chairside server has no user accounts, so nobody can log in. Whoever runs the server: stop it and start it again
        with <code>ADMIN_PASSWORD</code> set to a passphrase of your own (at least 8 characters, not a common password), then log
        in here as <strong>admin</strong> and create the staff accounts under Admin.
      </p>
    </section>
  );
}

export function LoginPage() {
  const { api } = useServices();
  const demoAccounts = useAppStore((s) => s.auth.demoAccounts);
  const notice = useAppStore((s) => s.auth.notice);
  const loggedIn = useAppStore((s) => s.loggedIn);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const idPrefix = useId();
  const [noUsersYet, setNoUsersYet] = useState(false);

  // Outside demo mode, ask whether the clinic has any account at all (a first start); the answer
  // the app loaded before showing this page is not kept in the store.
  useEffect(() => {
    if (demoAccounts !== null) return;
    let live = true;
    void (async () => {
      try {
        const status = await api.getSession();
        if (live) setNoUsersYet(status.noUsersYet === true);
      } catch {
        // Only a hint: the page works without it.
      }
    })();
    return () => {
      live = false;
    };
  }, [api, demoAccounts]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const request = loginRequestSchema.safeParse({ username, password });
    if (!request.success) {
      setError(request.error.issues.map((issue) => issue.message).join('; '));
      return;
    }
    setError(null);
    setPending(true);
    try {
      const user = await api.login(request.data);
      loggedIn(user);
    } catch (failure) {
      setPending(false);
      if (failure instanceof ApiError && failure.status === 401) setError(failure.message || 'Wrong username or password');
      else setError(errorMessage(failure));
      passwordRef.current?.select();
    }
  };

  return (
    <div className="login">
      <title>Log in — Chairside</title>
      <main className="login__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">Chairside</span>
        </div>
        <h1 className="login__title">Log in to the chair dashboard</h1>
        {notice !== null && (
          <p className="notice notice--info" role="status">
            {notice}
          </p>
        )}
        <form className="login__form" onSubmit={(event) => void onSubmit(event)} noValidate>
          <div className="field">
            <label htmlFor={`${idPrefix}-username`} className="field__label">
              Username
            </label>
            <input
              id={`${idPrefix}-username`}
              className="field__input"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${idPrefix}-password`} className="field__label">
              Password
            </label>
            <input
              id={`${idPrefix}-password`}
              ref={passwordRef}
              className="field__input"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <div role="alert" className="login__error">
            {error}
          </div>
          <button ref={submitRef} type="submit" className="button button--primary button--block" disabled={pending}>
            Log in
          </button>
        </form>
        {noUsersYet && <FirstStart />}
        {demoAccounts !== null && demoAccounts.length > 0 && (
          <DemoAccounts
            accounts={demoAccounts}
            onPick={(account) => {
              setUsername(account.username);
              setPassword(account.password);
              setError(null);
              submitRef.current?.focus();
            }}
          />
        )}
      </main>
      <SafetyNote />
    </div>
  );
}
