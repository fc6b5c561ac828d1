import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// In dev, the page and the auth server must share an origin (the session cookie is HttpOnly and
// SameSite=Lax, and Paymo documents no CORS): Vite proxies /auth and /api to the Express example.
const server = process.env.SERVER_URL ?? `http://127.0.0.1:${process.env.SERVER_PORT ?? 3000}`;

export default defineConfig(({ command }) => ({
  plugins: [react()],
  // Dev runs the workspace packages from src/ (edits reload at once); `vite build` uses their built
  // dist/, as an app installing them from npm would.
  resolve: { conditions: command === 'serve' ? ['@paymo/source', ...defaultClientConditions] : [...defaultClientConditions] },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: { '/auth': server, '/api': server },
  },
  build: { outDir: 'dist', emptyOutDir: true },
}));
