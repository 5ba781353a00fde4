"""The SOAP edge: the only package that imports spyne."""
