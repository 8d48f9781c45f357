import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';

/**
 * Cursor paging of a list: the cursors of the pages visited so far, the
 * page number, Previous and Next (enabled while the list has a next cursor).
 */
export function Pager(props: {
  cursors: string[];
  nextCursor?: string;
  onChange: (cursors: string[]) => void;
}) {
  const { cursors, nextCursor, onChange } = props;
  const page = cursors.length + 1;
  return (
    <Box
      sx={{
        display: 'flex',
        justifyContent: 'flex-end',
        alignItems: 'center',
        gap: 1,
        p: 1,
      }}
    >
      <Typography variant="body2">Page {page}</Typography>
      <Button
        disabled={page === 1}
        onClick={() => onChange(cursors.slice(0, -1))}
      >
        Previous
      </Button>
      <Button
        disabled={!nextCursor}
        onClick={() => nextCursor && onChange([...cursors, nextCursor])}
      >
        Next
      </Button>
    </Box>
  );
}
