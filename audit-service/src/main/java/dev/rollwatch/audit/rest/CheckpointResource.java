package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollwatch.audit.service.TrustedKeys;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.service.CheckpointSigner;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Signed checkpoints and the public key that verifies them, for auditors to copy outside the database. */
@Path("/api/v1/audit/checkpoints")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

    /** A checkpoint on the wire: hash in hex, signature in base64 over the documented message. */
    public record CheckpointView(long position, String headHash, String keyId, String signature, Instant signedAt) {
        static CheckpointView of(Checkpoint c) {
            return new CheckpointView(c.position(), ChainHash.hex(c.headHash()), c.keyId(),
                    Base64.getEncoder().encodeToString(c.signature()), c.signedAt());
        }
    }

    public record PublicKeyView(String keyId, String algorithm, String format, String publicKey) {
    }

    /** One line of the export: everything needed to check the signature offline, with the trusted public keys. */
    public record ExportLine(long position, String headHash, String keyId, String algorithm, String signature,
            Instant signedAt) {
    }

    /** The keys verify trusts: pinned in configuration, or only the signing key when none are pinned. */
    public record TrustedKeysView(boolean pinned, String signingKeyId, List<PublicKeyView> keys) {
    }

    private static final int EXPORT_PAGE = 500;

    private final AuditLogRepository log;
    private final CheckpointSigner signer;
    private final AuditConfig config;
    private final TrustedKeys trusted;
    private final ObjectMapper json;

    public CheckpointResource(AuditLogRepository log, CheckpointSigner signer, AuditConfig config,
            TrustedKeys trusted, ObjectMapper json) {
        this.log = log;
        this.signer = signer;
        this.config = config;
        this.trusted = trusted;
        this.json = json.copy().disable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Every signed checkpoint after {@code after}, one JSON object per line, in position order: what an auditor keeps
     * outside the database ({@code curl … > checkpoints.ndjson}) and later holds against {@code verify}.
     */
    @GET
    @Path("/export")
    @Produces(AuditStreamResource.NDJSON)
    public Response export(@QueryParam("after") Long after) {
        long start = after == null ? 0 : Math.max(0, after);
        StreamingOutput body = out -> {
            long cursor = start;
            while (true) {
                List<Checkpoint> page = log.checkpoints(cursor, EXPORT_PAGE);
                for (Checkpoint c : page) {
                    out.write(json.writeValueAsBytes(new ExportLine(c.position(), ChainHash.hex(c.headHash()),
                            c.keyId(), "Ed25519", Base64.getEncoder().encodeToString(c.signature()), c.signedAt())));
                    out.write('\n');
                    cursor = c.position();
                }
                out.flush();
                if (page.size() < EXPORT_PAGE) {
                    return;
                }
            }
        };
        return Response.ok(body, AuditStreamResource.NDJSON).build();
    }

    @GET
    @Path("/trusted-keys")
    public TrustedKeysView trustedKeys() {
        return new TrustedKeysView(trusted.pinned(), signer.keyId(), trusted.keys().stream()
                .map(k -> new PublicKeyView(k.keyId(), "Ed25519", "X.509 SubjectPublicKeyInfo, DER, base64",
                        Base64.getEncoder().encodeToString(k.publicKey().getEncoded())))
                .toList());
    }

    @GET
    public List<CheckpointView> list(@QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        int size = limit == null ? config.defaultLimit() : limit;
        if (size < 1 || size > config.maxLimit()) {
            throw ProblemException.badRequest("invalid-limit",
                    "limit must be between 1 and " + config.maxLimit() + ", was " + size);
        }
        return log.checkpoints(after == null ? 0 : Math.max(0, after), size).stream().map(CheckpointView::of)
                .toList();
    }

    @GET
    @Path("/public-key")
    public PublicKeyView publicKey() {
        return new PublicKeyView(signer.keyId(), "Ed25519", "X.509 SubjectPublicKeyInfo, DER, base64",
                Base64.getEncoder().encodeToString(signer.publicKey()));
    }
}
