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
