// Leaflet and its stylesheet, imported together by the map chunk only.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export { L };
