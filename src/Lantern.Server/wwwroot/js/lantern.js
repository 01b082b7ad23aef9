import { initAll } from '/js/nhsuk-frontend.min.js';

initAll();
