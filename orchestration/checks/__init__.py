"""Asset checks beyond dbt's: freshness, volume and schema drift of every raw feed.

Reconciliation (fetched = landed + quarantined) is checked inside each raw asset, where the
counts are known; dbt tests become asset checks through the dbt translator.
"""
