"""Modal screens the apps share: help, restore a draft, save the message."""
