"""The public portal (issue 12): /public/ home, the published decisions (search, detail
with its PDF, error reports), their open-data export and the public decisions API."""
