import { SidebarItem } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Badge from '@mui/material/Badge';
import RateReviewIcon from '@material-ui/icons/RateReview';
import { useEffect, useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';

/** "Reviews" in the sidebar, with the number of requests waiting for you. */
export function ReviewsSidebarItem() {
  const api = useApi(lakehouseApiRef);
  const [count, setCount] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .listAccessRequests({ reviewable: true })
        .then(r => live && setCount(r.items.length))
        .catch(() => undefined);
    load();
    const timer = setInterval(load, 30_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return (
    <SidebarItem
      icon={() => (
        <Badge
          badgeContent={count}
          color="error"
          aria-label={`${count} reviews waiting`}
        >
          <RateReviewIcon />
        </Badge>
      )}
      to="/access-reviews"
      text="Reviews"
    />
  );
}
