import { useState } from 'react';
import {
  ErrorPanel,
  Progress,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  IdentityApi,
  discoveryApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import useAsync from 'react-use/esm/useAsync';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';

// Must match the backend module @lakeport/plugin-auth-backend-module-lakeport-dev-provider.
const DEV_PROVIDER_ID = 'lakeport-dev';
const DEV_USER_HEADER = 'x-lakeport-dev-user';
const STORAGE_KEY = 'lakeport.devSignIn.userRef';

type DevUser = {
  userRef: string;
  displayName: string;
  email?: string;
  description?: string;
  groups: string[];
};

/** Clears the remembered user on sign-out, so the chooser shows again. */
function forgetUserOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(STORAGE_KEY);
      await identity.signOut();
    },
  };
}

function initials(name: string) {
  return name
    .split(/\s+/)
    .map(part => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function UserChooser(props: {
  users: DevUser[];
  onChoose: (userRef: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = props.users.filter(u =>
    [u.displayName, u.email, u.description, ...u.groups]
      .join(' ')
      .toLowerCase()
      .includes(needle),
  );
  return (
    <Box sx={{ maxWidth: 1100, mx: 'auto', p: 4 }}>
      <Typography variant="h3" component="h1" gutterBottom>
        Lakeport
      </Typography>
      <Typography variant="h6" component="h2" gutterBottom>
        Development sign-in: choose who to be
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        Try the requester, owner and steward journeys as any user of the sample
        organisation. Sign out to switch. This page exists only in development
        config.
      </Typography>
      <TextField
        label="Filter users"
        size="small"
        value={filter}
        onChange={e => setFilter(e.target.value)}
        sx={{ mb: 3, minWidth: 320 }}
      />
      <Grid container spacing={2}>
        {shown.map(user => (
          <Grid item xs={12} sm={6} md={4} key={user.userRef}>
            <Card variant="outlined" sx={{ height: '100%' }}>
              <CardActionArea
                sx={{ height: '100%' }}
                onClick={() => props.onChoose(user.userRef)}
                aria-label={`Sign in as ${user.displayName}`}
              >
                <CardContent>
                  <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
                    <Avatar>{initials(user.displayName)}</Avatar>
                    <Box>
                      <Typography variant="subtitle1">
                        {user.displayName}
                      </Typography>
                      <Typography variant="body2" color="text.secondary">
                        {user.email}
                      </Typography>
                    </Box>
                  </Box>
                  {user.description && (
                    <Typography variant="body2" sx={{ mt: 1.5 }}>
                      {user.description}
                    </Typography>
                  )}
                  <Box
                    sx={{ mt: 1, display: 'flex', gap: 0.5, flexWrap: 'wrap' }}
                  >
                    {user.groups.map(g => (
                      <Chip key={g} size="small" label={g.split('/').pop()} />
                    ))}
                  </Box>
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        ))}
      </Grid>
      {shown.length === 0 && (
        <Typography sx={{ mt: 2 }}>No user matches “{filter}”.</Typography>
      )}
    </Box>
  );
}

/**
 * Sign-in page. With development config it lets a person pick any user of the
 * catalog (remembered in this browser until sign-out); otherwise, when the
 * backend refuses development sign-in, it offers the real providers.
 */
export function DevSignInPage(props: SignInPageProps) {
  const discoveryApi = useApi(discoveryApiRef);
  const [userRef, setUserRef] = useState(() =>
    localStorage.getItem(STORAGE_KEY),
  );

  const devUsers = useAsync(async (): Promise<DevUser[] | undefined> => {
    if (userRef) return undefined;
    const baseUrl = await discoveryApi.getBaseUrl('auth');
    const response = await fetch(`${baseUrl}/dev-users`);
    if (response.status === 403 || response.status === 404) {
      return undefined; // not development config: real providers only
    }
    if (!response.ok) {
      throw new Error(
        `Could not list users for development sign-in: HTTP ${response.status}`,
      );
    }
    return (await response.json()).items;
  }, [userRef]);

  if (userRef) {
    return (
      <ProxiedSignInPage
        provider={DEV_PROVIDER_ID}
        headers={{ [DEV_USER_HEADER]: userRef }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetUserOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Box sx={{ p: 4 }}>
            <ErrorPanel
              title={`Could not sign in as ${userRef}`}
              error={error ?? new Error('Sign-in failed')}
            />
            <Button
              variant="contained"
              sx={{ mt: 2 }}
              onClick={() => {
                localStorage.removeItem(STORAGE_KEY);
                setUserRef(null);
              }}
            >
              Choose another user
            </Button>
          </Box>
        )}
      />
    );
  }
  if (devUsers.loading) {
    return <Progress />;
  }
  if (devUsers.error) {
    return <ErrorPanel title="Sign-in unavailable" error={devUsers.error} />;
  }
  if (devUsers.value) {
    return (
      <UserChooser
        users={devUsers.value}
        onChoose={ref => {
          localStorage.setItem(STORAGE_KEY, ref);
          setUserRef(ref);
        }}
      />
    );
  }
  return (
    <SignInPage
      {...props}
      title="Lakeport"
      align="center"
      providers={[
        {
          id: 'github-auth-provider',
          title: 'GitHub',
          message: 'Sign in using GitHub',
          apiRef: githubAuthApiRef,
        },
      ]}
    />
  );
}
