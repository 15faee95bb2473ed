import { LinkRequestForm } from '../components/link-request.tsx';
import { PublicPage } from '../components/public-page.tsx';
import { Link } from '../router.tsx';

/** "Forgot password?": an address to mail a reset link to; the answer is the same whether it has an account or not. */
export function ForgotPasswordScreen() {
  return (
    <PublicPage titleId="forgot-title" title="Forgot your password?">
      <p>Enter the address you sign in with. If it belongs to an account, we mail it a link to set a new password.</p>
      <LinkRequestForm purpose="reset" label="Ask for a password reset link" submitLabel="Send reset link" />
      <p className="public-links">
        <Link to="/">Back to sign in</Link>
      </p>
    </PublicPage>
  );
}
