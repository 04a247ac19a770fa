"""The inactivity score: BG/NBD probability alive and the learned weights of the criteria."""
