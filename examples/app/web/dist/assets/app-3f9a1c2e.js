// Example frontend bundle (prebuilt; the hash in the file name is what nginx's long cache relies on).
const statusElement = document.getElementById('status');

async function checkHealth() {
  try {
    const response = await fetch('/health', { headers: { accept: 'application/json' } });
    const body = await response.json();
    statusElement.textContent = response.ok ? 'healthy' : `unhealthy (${JSON.stringify(body)})`;
    statusElement.className = response.ok ? 'ok' : 'failed';
  } catch (error) {
    statusElement.textContent = `unreachable (${error instanceof Error ? error.message : String(error)})`;
    statusElement.className = 'failed';
  }
}

function route() {
  // A client-side route: nginx answers every unknown path with index.html, so deep links work.
  const path = window.location.pathname;
  if (path !== '/') {
    const note = document.createElement('p');
    note.textContent = `Client-side route ${path} rendered by the single-page app.`;
    document.querySelector('main')?.appendChild(note);
  }
}

route();
checkHealth();
setInterval(checkHealth, 5000);
