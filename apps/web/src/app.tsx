import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { AccountPage } from './account/account-page.js';
import { isAuthError } from './api/client.js';
import { ToastProvider } from './components/toast.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { AppShell } from './portal/app-shell.js';
import { HomePage } from './portal/home-page.js';
import { LoginPage } from './portal/login-page.js';
import { useMe } from './portal/session.js';
import { SubjectsEventsDicomPage } from './portal/subjects-events-dicom-page.js';
import { Redirect, useLocation } from './router.js';
import { AuditPage } from './setup/audit-page.js';
import { SetupPage } from './setup/setup-page.js';
import { UploaderPage } from './uploader/uploader-page.js';

// The viewer brings Cornerstone3D (WebGL, codecs): a chunk of its own, fetched only when opened.
const ViewerPage = lazy(() => import('./viewer/viewer-page.js').then((m) => ({ default: m.ViewerPage })));

function PortalRoutes(): ReactNode {
  const { t } = useI18n();
  const { path, search } = useLocation();
  const me = useMe();
  if (me.isLoading) return <p className="loading">{t('common.loading')}</p>;
  if (path === '/login') {
    if (me.data) return <Redirect to={search.get('next') ?? '/'} />;
    return <LoginPage next={search.get('next') ?? '/'} />;
  }
  if (!me.data) return <Redirect to={`/login?next=${encodeURIComponent(path + (search.size ? `?${search}` : ''))}`} />;
  let page: ReactNode;
  if (path.startsWith('/pacs')) page = <SubjectsEventsDicomPage />;
  else if (path.startsWith('/setup')) page = <SetupPage />;
  else if (path.startsWith('/audit')) page = <AuditPage />;
  else if (path.startsWith('/account')) page = <AccountPage />;
  else if (path.startsWith('/viewer'))
    page = (
      <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
        <ViewerPage />
      </Suspense>
    );
  else page = <HomePage />;
  return <AppShell>{page}</AppShell>;
}

function Routes(): ReactNode {
  const { path } = useLocation();
  // The Uploader window has no Portal frame and handles a missing session itself (login prompt).
  return path === '/uploader' ? <UploaderPage /> : <PortalRoutes />;
}

/**
 * The whole browser app: providers and the routes of the Portal and the Uploader window.
 *
 * @example
 * createRoot(element).render(<App />);
 */
export function App(): ReactNode {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            retry: (count, error) => !isAuthError(error) && count < 2,
            refetchOnWindowFocus: false,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ToastProvider>
          <Routes />
        </ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
