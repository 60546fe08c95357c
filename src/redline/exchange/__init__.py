"""Interchange with the field's formats: exports (Parquet by month, CSV, PLOVER
JSON Lines, GDELT 2.0 event TSV, GeoJSON), imports of PLOVER and GDELT data for
comparison, and the comparison itself."""
