// The page served at / when no STATIC_DIR is set: enough to try the flow in a browser with no build
// step. It only calls the app's own routes; the Paymo token never reaches it.
export const signInPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Paymo auth - Express example</title>
<style>body{font:16px system-ui;max-width:40rem;margin:2rem auto}input{display:block;margin:.3rem 0;width:20rem}pre{background:#f4f4f4;padding:1rem}</style>
</head>
<body>
<h1>Sign in with Paymo</h1>
<form id="password"><input name="email" type="email" placeholder="email" required><input name="password" type="password" placeholder="password" required><button>Sign in</button></form>
<form id="apikey"><input name="apiKey" placeholder="or an API key" required><button>Sign in with API key</button></form>
<p><button id="clients">Load my Paymo clients</button> <button id="signout">Sign out</button></p>
<pre id="out">Loading session...</pre>
<script>
const out = document.getElementById('out');
const show = (value) => { out.textContent = JSON.stringify(value, null, 2); };
async function call(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return res.json();
}
for (const id of ['password', 'apikey']) {
  document.getElementById(id).addEventListener('submit', async (event) => {
    event.preventDefault();
    show(await call('POST', '/auth/sign-in', Object.fromEntries(new FormData(event.target))));
  });
}
document.getElementById('clients').onclick = async () => show(await call('GET', '/api/clients'));
document.getElementById('signout').onclick = async () => show(await call('POST', '/auth/sign-out', {}));
call('GET', '/auth/session').then(show);
</script>
</body>
</html>
`;
