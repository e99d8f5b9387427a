"""Word reports: the template context, Russian filters, charts, rendering and template lint."""
