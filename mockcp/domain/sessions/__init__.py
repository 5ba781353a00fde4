"""Sessions and money, alarms (guide 6, 8): sessions, 15-minute data, transactions, pricing."""
