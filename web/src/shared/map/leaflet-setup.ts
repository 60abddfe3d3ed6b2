// Leaflet and its stylesheet, imported together so that only the pages with a
// map download them.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export { L };
