"""The API's request and response models, one module per feature; ``problems`` is the error model every route
declares. Routers import from here and define no models of their own."""
