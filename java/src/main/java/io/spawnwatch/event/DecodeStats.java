package io.spawnwatch.event;

/**
 * What the decoder did with the records the ring delivered; every record is in exactly one of the first four.
 *
 * @param decoded     records of a known type and version with the size that type has
 * @param badSize     records whose header size, or whose length in the ring, is not the size of their type
 * @param badVersion  records of another contract version than {@link RecordDescriptor#VERSION}
 * @param unknownType records of a type this version does not know (type 0 is invalid by contract)
 * @param readFailed  decoded records whose flags say the kernel failed to read a field (the field is empty);
 *                    also counted in {@code decoded}
 */
public record DecodeStats(long decoded, long badSize, long badVersion, long unknownType, long readFailed) {
    /** Records skipped as malformed, all reasons together. */
    public long rejected() {
        return badSize + badVersion + unknownType;
    }
}
