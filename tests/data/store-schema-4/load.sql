COPY alerts_sent FROM 'tests/data/store-schema-4/alerts_sent.parquet' (FORMAT 'parquet');
COPY articles FROM 'tests/data/store-schema-4/articles.parquet' (FORMAT 'parquet');
COPY events FROM 'tests/data/store-schema-4/events.parquet' (FORMAT 'parquet');
COPY meta FROM 'tests/data/store-schema-4/meta.parquet' (FORMAT 'parquet');
COPY quotes FROM 'tests/data/store-schema-4/quotes.parquet' (FORMAT 'parquet');
COPY rejects FROM 'tests/data/store-schema-4/rejects.parquet' (FORMAT 'parquet');
COPY runs FROM 'tests/data/store-schema-4/runs.parquet' (FORMAT 'parquet');
