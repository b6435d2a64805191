-- Channel secrets are sealed at rest (platform SecretBox: rwsec:v1:<keyId>:<base64 nonce|ciphertext|tag>), which is
-- longer than the 500 characters a secret may have. Rows written before are sealed at start-up (ChannelSecretSealer).
ALTER TABLE channel ALTER COLUMN secret TYPE text;
