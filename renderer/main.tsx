// First: takes the launch token out of the address before anything reads the fragment.
import './api/launch-token';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { browserLanguage, initI18n } from './i18n';
import { resolveLanguage, useSettings } from './stores/settings';

// The first paint already uses the saved or browser language; the OS language refines it once known.
initI18n(resolveLanguage(useSettings.getState().language, browserLanguage(), null));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
