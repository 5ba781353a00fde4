"""Business rules over the data model: no SOAP, no HTTP, no faker."""
