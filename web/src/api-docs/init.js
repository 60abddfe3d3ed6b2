// Renders the server's OpenAPI document with Swagger UI. This file is copied
// verbatim into the build (see build/api-docs.ts), so it stays plain
// browser JavaScript.
'use strict';

window.addEventListener('DOMContentLoaded', function () {
  window.ui = window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Without this Swagger UI sends the spec to an external validator service.
    validatorUrl: null,
  });
});
