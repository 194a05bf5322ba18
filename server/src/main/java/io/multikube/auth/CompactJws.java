package io.multikube.auth;

import java.text.ParseException;
import java.util.regex.Pattern;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.status.RouterException;

/**
 * Splits a bearer token into a signed JWT, refusing anything that is not a compact JWS: unsecured ({@code alg:
 * none}) tokens, encrypted (JWE) tokens, JSON serializations, stray characters. Nimbus's own parse messages are
 * not passed on, as they may quote parts of the token.
 */
final class CompactJws {
    /** Far above any real token (thousands of groups), low enough that parsing cannot be used to burn CPU. */
    static final int MAX_LENGTH = 64 * 1024;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final String[] PART_NAMES = {"header", "payload", "signature"};

    private CompactJws() {
    }

    static SignedJWT parse(String token) {
        if (token.isEmpty()) {
            throw refuse("token is empty (expected: a compact JWS, header.payload.signature)");
        }
        if (token.length() > MAX_LENGTH) {
            throw refuse("token is " + token.length() + " characters long (expected: at most " + MAX_LENGTH + ")");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw refuse("token is encrypted (JWE), which is not accepted (expected: a signed JWS)");
        }
        if (parts.length != 3) {
            throw refuse("token has " + parts.length + " dot-separated part(s) (expected: 3, header.payload.signature)");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!BASE64URL.matcher(parts[i]).matches()) {
                throw refuse("token " + PART_NAMES[i] + " is not base64url (expected: A-Z a-z 0-9 - _ without padding)");
            }
        }
        JWSHeader header = jwsHeader(parts[0]);
        HeaderPolicy.check(header);
        if (parts[1].isEmpty()) {
            throw refuse("token payload is empty (expected: the claims)");
        }
        if (parts[2].isEmpty()) {
            throw refuse("token has no signature (expected: one made with " + header.getAlgorithm() + ")");
        }
        try {
            return new SignedJWT(new Base64URL(parts[0]), new Base64URL(parts[1]), new Base64URL(parts[2]));
        } catch (ParseException e) {
            throw refuse("token is not a well-formed JWS (expected: compact serialization)");
        }
    }

    private static JWSHeader jwsHeader(String part) {
        if (part.isEmpty()) {
            throw refuse("token header is empty (expected: a JSON object with \"alg\")");
        }
        Header header;
        try {
            header = Header.parse(new Base64URL(part));
        } catch (ParseException e) {
            throw refuse("token header is not a JOSE header (expected: a base64url JSON object with \"alg\")");
        }
        return switch (header) {
            case JWSHeader jws -> jws;
            case PlainHeader plain -> throw refuse("token is unsecured (alg \"none\"), which is never accepted");
            case JWEHeader jwe -> throw refuse("token header is a JWE (encryption) header, which is not accepted "
                    + "(expected: a signed JWS)");
            default -> throw refuse("token header is not a JWS header (expected: RS*, PS* or ES* in \"alg\")");
        };
    }

    private static RouterException.Unauthorized refuse(String reason) {
        return new RouterException.Unauthorized(reason);
    }
}
