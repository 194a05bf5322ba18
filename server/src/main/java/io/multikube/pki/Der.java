package io.multikube.pki;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER that PEM keys need: read an element and its children, tell an algorithm's object identifier, and
 * wrap PKCS#1 and SEC1 keys in the PKCS#8 and X.509 structures the JDK's key factories read.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]}, constructed: where SEC1 keeps its curve. */
    static final int CONTEXT_0 = 0xa0;

    private Der() {
    }

    /** One element: its tag and where its value lies in {@code bytes}. */
    record Element(int tag, byte[] bytes, int start, int valueStart, int end) {
        byte[] value() {
            return Arrays.copyOfRange(bytes, valueStart, end);
        }

        /** The whole element, tag and length included. */
        byte[] encoded() {
            return Arrays.copyOfRange(bytes, start, end);
        }

        List<Element> children() {
            List<Element> children = new ArrayList<>();
            for (int offset = valueStart; offset < end; offset = children.getLast().end()) {
                children.add(read(bytes, offset, end));
            }
            return List.copyOf(children);
        }

        Element child(int index, int expectedTag, String what) {
            List<Element> children = children();
            if (children.size() <= index || children.get(index).tag() != expectedTag) {
                throw new PemException("malformed " + what + " (expected: element " + index + " with DER tag 0x"
                        + Integer.toHexString(expectedTag) + ")");
            }
            return children.get(index);
        }

        /** A dotted object identifier, such as {@code 1.2.840.10045.2.1}. */
        String oid() {
            StringBuilder dotted = new StringBuilder();
            long arc = 0;
            for (int i = valueStart; i < end; i++) {
                arc = (arc << 7) | (bytes[i] & 0x7f);
                if ((bytes[i] & 0x80) == 0) {
                    if (dotted.isEmpty()) {
                        long first = Math.min(arc / 40, 2);
                        dotted.append(first).append('.').append(arc - first * 40);
                    } else {
                        dotted.append('.').append(arc);
                    }
                    arc = 0;
                }
            }
            return dotted.toString();
        }
    }

    /** The element that {@code bytes} starts with. */
    static Element read(byte[] bytes) {
        return read(bytes, 0, bytes.length);
    }

    private static Element read(byte[] bytes, int start, int limit) {
        if (limit - start < 2) {
            throw new PemException("malformed DER: truncated element");
        }
        int tag = bytes[start] & 0xff;
        int first = bytes[start + 1] & 0xff;
        int offset = start + 2;
        long length = first;
        if (first >= 0x80) {
            int count = first & 0x7f;
            if (count == 0 || count > 4 || offset + count > limit) {
                throw new PemException("malformed DER: length of " + count + " bytes (expected: definite, 1 to 4)");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[offset++] & 0xff);
            }
        }
        if (length > limit - offset) {
            throw new PemException("malformed DER: element of " + length + " bytes, " + (limit - offset) + " left");
        }
        return new Element(tag, bytes, start, offset, offset + (int) length);
    }

    static byte[] element(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            value.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int count = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | count);
            for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        base128(value, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(value, Long.parseLong(arcs[i]));
        }
        return element(OID, value.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long arc) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int group = groups - 1; group >= 0; group--) {
            out.write((int) ((arc >>> (group * 7)) & 0x7f) | (group > 0 ? 0x80 : 0));
        }
    }
}
