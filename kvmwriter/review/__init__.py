"""Series review: load a range, patch files or mboxes, and the review model."""
