-- Which replica drives a deployment right now: claimed with a conditional UPDATE, renewed while a target call is
-- in flight, released after the run, and taken over by another replica once it has expired (the holder died).
ALTER TABLE deployment ADD COLUMN lease_owner varchar(200);
ALTER TABLE deployment ADD COLUMN lease_until timestamptz;
