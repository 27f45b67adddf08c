"""What the web pages and the API share at the HTTP level: security headers, request bounds, the API docs."""
