/** Shown under the form when the build is pointed at the fake Paymo API (`VITE_DEMO_HINT`). */
export const demoHint: string | undefined = import.meta.env.VITE_DEMO_HINT || undefined;
