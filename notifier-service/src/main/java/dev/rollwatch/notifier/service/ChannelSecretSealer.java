package dev.rollwatch.notifier.service;

import dev.rollwatch.notifier.domain.Channel;
import dev.rollwatch.notifier.repository.ChannelRepository;
import dev.rollwatch.platform.secrets.SecretBox;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * At start-up, seals every channel secret that is still plaintext (rows from before sealing) and re-seals those
 * sealed with a key other than the current one (after a rotation), so the old key can be removed. Idempotent: a
 * secret already sealed with the current key is left alone. A secret that cannot be opened (its key is not
 * configured) is left as it is and logged by channel and key id; its deliveries fail until the key is back.
 */
@ApplicationScoped
public class ChannelSecretSealer {

    private static final Logger LOG = Logger.getLogger(ChannelSecretSealer.class);

    private final ChannelRepository channels;
    private final SecretBox secrets;

    public ChannelSecretSealer(ChannelRepository channels, SecretBox secrets) {
        this.channels = channels;
        this.secrets = secrets;
    }

    void onStart(@Observes StartupEvent event) {
        sealAll();
    }

    /** Seals what needs it; answers how many secrets were (re-)sealed. */
    @Transactional
    public int sealAll() {
        int sealed = 0;
        for (Channel c : channels.list("secret is not null")) {
            if (!secrets.needsSealing(c.secret)) {
                continue;
            }
            try {
                boolean plaintext = !secrets.isSealed(c.secret);
                c.secret = secrets.seal(secrets.open(c.secret));
                sealed++;
                LOG.infof("channel %s: secret %s with key '%s'", c.name, plaintext ? "sealed" : "re-sealed",
                        secrets.currentKeyId());
            } catch (SecretBox.SecretUnreadable e) {
                LOG.errorf("channel %s: %s", c.name, e.getMessage());
            }
        }
        return sealed;
    }
}
