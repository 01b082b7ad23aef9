import { initAll } from '/js/nhsuk-frontend.min.js';

initAll();

// Live bed board: refetch the grid whenever the server says the ward changed (server-sent events).
const board = document.querySelector('[data-bed-board]');
if (board) {
  const changes = new EventSource(board.dataset.changes);
  const refresh = async () => {
    const response = await fetch(board.dataset.grid, { credentials: 'same-origin', headers: { 'X-Requested-With': 'bed-board' } });
    if (response.ok) {
      board.innerHTML = await response.text();
      board.dataset.refreshed = String(Number(board.dataset.refreshed || 0) + 1);
    }
  };
  changes.addEventListener('changed', refresh);
  // Say plainly whether the board is live: a stale board must never look current.
  const status = document.querySelector('[data-board-status]');
  const show = (live) => {
    board.dataset.live = String(live);
    if (status) {
      status.textContent = live ? 'Updates by itself when anyone admits, transfers or discharges on this ward.'
        : 'Not updating by itself (connection lost, retrying): reload the page to see changes.';
    }
  };
  // After a lost connection, changes made meanwhile were not signalled: fetch the grid once on reconnecting.
  let lost = false;
  changes.addEventListener('open', () => { if (lost) { refresh(); } lost = false; show(true); });
  changes.addEventListener('error', () => { lost = true; show(false); });
}
