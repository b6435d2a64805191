package dev.rollwatch.audit.domain;

import java.util.Arrays;

/**
 * Walks entries in position order and finds the first one that breaks the chain: a missing position (a row
 * deleted or a position skipped), a {@code prev_hash} that is not the previous entry's hash (a row inserted or
 * replaced), or an {@code entry_hash} that does not match the stored bytes (a row altered). Pure, so it is tested
 * directly.
 */
public final class ChainCheck {

    private long expectedPosition;
    private byte[] expectedPrevHash;
    private long checked;
    private Failure failure;
    private int highestVersion = ChainHash.V1;

    /** Start checking at {@code firstPosition}, whose predecessor's hash is {@code prevHash}. */
    public ChainCheck(long firstPosition, byte[] prevHash) {
        this.expectedPosition = firstPosition;
        this.expectedPrevHash = prevHash;
    }

    public record Failure(long position, String reason) {
    }

    /** Feed the next entry; returns false once the chain is broken (further entries are not looked at). */
    public boolean accept(long position, byte[] prevHash, byte[] entryHash, byte[] payload) {
        if (failure != null) {
            return false;
        }
        if (position != expectedPosition) {
            failure = new Failure(expectedPosition, position > expectedPosition
                    ? "entry missing: positions " + expectedPosition + ".." + (position - 1) + " are absent"
                    : "position out of order: found " + position);
            return false;
        }
        if (!Arrays.equals(prevHash, expectedPrevHash)) {
            failure = new Failure(position, "prev_hash does not match the hash of entry " + (position - 1));
            return false;
        }
        if (!Arrays.equals(entryHash, ChainHash.entryHash(prevHash, position, payload))) {
            failure = new Failure(position, "entry_hash does not match the stored bytes");
            return false;
        }
        checked++;
        expectedPosition = position + 1;
        expectedPrevHash = entryHash;
        return true;
    }

    /**
     * Feed the next stored entry: the chain as {@link #accept(long, byte[], byte[], byte[])} does, by the entry's own
     * hash version (a version-1 entry after a version-2 one is a downgrade, refused), then its header columns against
     * the hashed bytes ({@link HeaderColumns}), so an edited {@code subject} or {@code event_type} is found.
     */
    public boolean accept(StoredEntry e) {
        if (failure != null) {
            return false;
        }
        if (e.position() != expectedPosition) {
            return accept(e.position(), e.prevHash(), e.entryHash(), e.payload()); // reports the gap or disorder
        }
        if (!Arrays.equals(e.prevHash(), expectedPrevHash)) {
            failure = new Failure(e.position(), "prev_hash does not match the hash of entry " + (e.position() - 1));
            return false;
        }
        if (e.hashVersion() != ChainHash.V1 && e.hashVersion() != ChainHash.V2) {
            failure = new Failure(e.position(), "unknown hash version " + e.hashVersion());
            return false;
        }
        if (e.hashVersion() < highestVersion) {
            failure = new Failure(e.position(), "hash version " + e.hashVersion() + " after version " + highestVersion
                    + ": downgraded");
            return false;
        }
        if (!Arrays.equals(e.entryHash(), ChainHash.of(e))) {
            // one reason for both versions: for version 2 "the stored bytes" include topic, partition, offset and
            // recorded_at (README, the hash chain)
            failure = new Failure(e.position(), "entry_hash does not match the stored bytes");
            return false;
        }
        java.util.Optional<String> column = HeaderColumns.mismatch(e);
        if (column.isPresent()) {
            failure = new Failure(e.position(), column.get());
            return false;
        }
        highestVersion = e.hashVersion();
        checked++;
        expectedPosition = e.position() + 1;
        expectedPrevHash = e.entryHash();
        return true;
    }

    /** After the last entry: the log should end exactly at {@code lastPosition} (the head, or the range end). */
    public void finish(long lastPosition) {
        if (failure == null && expectedPosition <= lastPosition) {
            failure = new Failure(expectedPosition, "entry missing: positions " + expectedPosition + ".."
                    + lastPosition + " are absent");
        }
    }

    public Failure failure() {
        return failure;
    }

    public long checked() {
        return checked;
    }

    /** The hash of the last good entry (the head hash when the whole log verified). */
    public byte[] lastHash() {
        return expectedPrevHash;
    }
}
