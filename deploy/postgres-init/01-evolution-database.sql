-- Runs once, when the db service initialises an empty data volume
-- (/docker-entrypoint-initdb.d). Evolution API keeps its own tables (Prisma)
-- in a separate database so they never mix with ours.
CREATE DATABASE evolution;
