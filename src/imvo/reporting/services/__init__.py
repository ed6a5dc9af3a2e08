"""Reporting and transparency as plain functions, one topic per module.

- `build`: the reporting years, the report's own sections, the sections the
  other apps offer through the registry, and the whole report as data;
- `publication`: the secretariat's section texts, publishing frozen editions,
  and finding the editions readers see;
- `dashboards`: public charts per covenant and across covenants;
- `open_data`: the public tables with their data dictionary.

The learning library is its own app, ``imvo.library``.

Rendering (HTML, PDF, charts) sits beside this package: `reporting.render`,
`reporting.charts`.
"""
