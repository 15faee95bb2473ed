import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev`: the console with hot reload on :5173, calling the API server (`pnpm --filter @ums/app-server dev`)
// through this proxy, so the browser sees one origin as it does in production.
const api = process.env.UMS_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/trpc': api, '/api': api, '/health': api },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
