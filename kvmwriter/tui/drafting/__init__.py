"""The drafting app: five steps from the staged change to a commit."""
