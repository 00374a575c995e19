"""All Dagster code: assets, resources, partitions, jobs, checks, schedules, sensors, and the CLI."""
