print("auditledger")
