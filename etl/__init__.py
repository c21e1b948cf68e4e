"""newsetl: a batch ETL that normalises news articles into a relational schema."""

__version__ = "0.1.0"
