import { initAll } from '/js/nhsuk-frontend.min.js';

initAll();

// Live bed board: refetch the grid whenever the server says the ward changed (server-sent events).
const board = document.querySelector('[data-bed-board]');
if (board) {
  const changes = new EventSource(board.dataset.changes);
  changes.addEventListener('changed', async () => {
    const response = await fetch(board.dataset.grid, { credentials: 'same-origin', headers: { 'X-Requested-With': 'bed-board' } });
    if (response.ok) {
      board.innerHTML = await response.text();
      board.dataset.refreshed = String(Number(board.dataset.refreshed || 0) + 1);
    }
  });
  changes.addEventListener('open', () => { board.dataset.live = 'true'; });
}
