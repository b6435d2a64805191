package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.channel.ChannelSender;
import dev.rollwatch.notifier.channel.ChannelSenders;
import dev.rollwatch.notifier.channel.log.LogChannelSender;
import dev.rollwatch.notifier.domain.Channel;
import dev.rollwatch.notifier.repository.ChannelRepository;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;

/** Channel administration: everything is validated before anything is written. */
@ApplicationScoped
public class ChannelService {

    private static final Logger LOG = Logger.getLogger(ChannelService.class);

    private final ChannelRepository channels;
    private final ChannelSenders senders;
    private final OutboundUrlPolicy policy;
    private final SecretBox secrets;

    public ChannelService(ChannelRepository channels, ChannelSenders senders, OutboundUrlPolicy policy,
            SecretBox secrets) {
        this.channels = channels;
        this.senders = senders;
        this.policy = policy;
        this.secrets = secrets;
    }

    public List<ChannelView> list() {
        return channels.listOrdered().stream().map(this::view).toList();
    }

    public ChannelView get(String name) {
        return view(find(name));
    }

    @Transactional
    public ChannelView create(ChannelRequests.CreateChannel request, String by) {
        ChannelSender sender = senders.forType(request.type())
                .filter(s -> !LogChannelSender.TYPE.equals(s.type()))
                .orElseThrow(() -> ProblemException.badRequest("unknown-channel-type", "type must be one of "
                        + creatableTypes() + ", was '" + request.type() + "'"));
        String url = isBlank(request.url()) ? sender.defaultUrl().orElse(null) : request.url();
        if (isBlank(request.url()) && url != null) {
            LOG.debugf("channel %s uses the default destination of %s channels", request.name(), sender.type());
        } else {
            checkUrl(sender, url);
        }
        checkSecret(sender, request.secret());
        if (channels.findById(request.name()) != null) {
            throw ProblemException.conflict("channel-exists", "channel " + request.name() + " already exists");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Channel c = new Channel();
        c.name = request.name();
        c.type = sender.type();
        c.url = url;
        c.secret = secrets.seal(request.secret());
        c.enabled = true;
        c.createdAt = now;
        c.updatedAt = now;
        channels.persist(c);
        LOG.infof("channel created channel=%s type=%s by=%s", c.name, c.type, by);
        return view(c);
    }

    @Transactional
    public ChannelView update(String name, ChannelRequests.UpdateChannel request, String by) {
        Channel c = modifiable(name);
        ChannelSender sender = senders.forType(c.type).orElseThrow();
        if (request.url() != null) {
            checkUrl(sender, request.url());
        }
        if (request.secret() != null) {
            checkSecret(sender, request.secret());
        }
        boolean urlChanges = request.url() != null && !request.url().equals(c.url);
        if (urlChanges && sender.requiresSecret() && request.secret() == null) {
            // the secret is sent to (or signs for) wherever the url points: whoever moves it must know it
            throw ProblemException.badRequest("secret-required", "changing the url of a " + sender.type()
                    + " channel needs its secret again (the secret goes wherever the url points)");
        }
        if (request.url() != null) {
            c.url = request.url();
        }
        if (request.secret() != null) {
            c.secret = secrets.seal(request.secret());
        }
        if (request.enabled() != null) {
            c.enabled = request.enabled();
            c.disabledReason = request.enabled() ? null : "disabled by an administrator";
        }
        c.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LOG.infof("channel updated channel=%s enabled=%s urlChanged=%s secretChanged=%s by=%s", c.name, c.enabled,
                urlChanges, request.secret() != null, by);
        return view(c);
    }

    @Transactional
    public void delete(String name, String by) {
        channels.delete(modifiable(name));
        LOG.infof("channel deleted channel=%s by=%s", name, by);
    }

    private Channel find(String name) {
        Channel c = channels.findById(name);
        if (c == null) {
            throw ProblemException.notFound("channel", name);
        }
        return c;
    }

    private Channel modifiable(String name) {
        Channel c = find(name);
        if (c.builtin) {
            throw ProblemException.conflict("builtin-channel", "channel " + name + " is built in and cannot be "
                    + "changed or deleted");
        }
        return c;
    }

    private void checkUrl(ChannelSender sender, String url) {
        if (isBlank(url)) {
            throw ProblemException.badRequest("missing-url", sender.type() + " channels need a url");
        }
        if (!sender.httpDestination()) {
            try {
                sender.checkDestination(url);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-destination", e.getMessage());
            }
            return;
        }
        try {
            policy.check(url);
        } catch (OutboundUrlPolicy.RefusedDestination e) {
            throw new ProblemException(400, "destination-refused", "Destination refused", e.getMessage());
        }
    }

    private static void checkSecret(ChannelSender sender, String secret) {
        if (!sender.requiresSecret()) {
            if (secret != null) {
                throw ProblemException.badRequest("unexpected-secret", sender.type() + " channels take no secret");
            }
            return;
        }
        if (secret == null || secret.isBlank()) {
            throw ProblemException.badRequest("missing-secret", sender.type() + " channels need a secret");
        }
        try {
            sender.checkSecret(secret);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-secret", e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private TreeSet<String> creatableTypes() {
        TreeSet<String> types = new TreeSet<>(senders.types());
        types.remove(LogChannelSender.TYPE);
        return types;
    }

    private ChannelView view(Channel c) {
        boolean urlIsSecret = senders.forType(c.type).map(ChannelSender::urlIsSecret).orElse(true);
        return new ChannelView(c.name, c.type, urlIsSecret ? redact(c.url) : c.url, c.secret != null, c.enabled,
                c.disabledReason, c.builtin, c.createdAt, c.updatedAt);
    }

    static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return "…";
        }
    }
}
