// Starts the NHS.UK frontend components (header menu, skip link, banners).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
