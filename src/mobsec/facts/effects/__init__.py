"""What code can do: the effect table and the effects an exported component reaches."""
