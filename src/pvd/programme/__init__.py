"""The programme registry: programmes, laureate communes, PVD groups, ORT, change history."""
