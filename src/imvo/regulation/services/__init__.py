"""What the law asks of members, as plain functions, one topic per module.

- `access`: who is a member (active, or withdrawn with its history), who is the secretariat;
- `mapping`: the covenant's mapping of the record to CSDDD, ESRS S2 and the OECD steps;
- `record`: the frozen submission and the datapoints it evidences, each with its source;
- `esrs`: the ESRS S2 disclosure draft (HTML, XLSX, JSON);
- `pack`: the CSDDD evidence pack (ZIP of PDFs and tables), reproducible;
- `engagement`: the stakeholder engagement log and its confirmation by the union or NGO named;
- `eudr`: plots of land (GeoJSON or CSV), their validation and the GeoJSON for the EU system;
- `forced_labour`: risk listings (importer), a member's readiness, the authority file;
- `suppliers`: information requests to suppliers under the value-chain cap;
- `retention`: filed exports kept for the legal period, and their purge.

A change comes as a pair: `check_*` validates and authorises, `do_*` writes.
Another organisation's object is "not found" (views answer 404).
"""
